from django.urls import path

from zhengcai.catalogue import views

app_name = "catalogue"

urlpatterns = [
    path("", views.index, name="index"),
    path("search/", views.search, name="search"),
]
