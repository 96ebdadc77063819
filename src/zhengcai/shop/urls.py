from django.urls import path

from zhengcai.shop import views

app_name = "shop"

urlpatterns = [
    path("", views.home, name="home"),
    path("search/", views.search, name="search"),
    path("products/<int:pk>/", views.listing, name="listing"),
    path("images/<int:pk>/", views.image, name="image"),
    path("compare/", views.compare_page, name="compare"),
    path("compare/add/", views.compare_add, name="compare_add"),
    path("compare/remove/", views.compare_remove, name="compare_remove"),
]
