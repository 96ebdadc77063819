from django.urls import path

from zhengcai.catalogue import views

app_name = "catalogue"

urlpatterns = [
    path("search/", views.search, name="search"),
]
