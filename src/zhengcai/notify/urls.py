from django.urls import path

from zhengcai.notify import views

app_name = "notify"

urlpatterns = [
    path("", views.notification_list, name="list"),
    path("unread-count/", views.unread_count, name="unread_count"),
    path("read-all/", views.notification_mark_all_read, name="mark_all_read"),
    path("<int:pk>/read/", views.notification_mark_read, name="mark_read"),
    path("<int:pk>/open/", views.notification_open, name="open"),
]
