from django.urls import path

from zhengcai.plans import views

app_name = "plans"

urlpatterns = [
    path("", views.plan_list, name="list"),
    path("new/", views.plan_wizard, name="create"),
    path("decision/", views.decision_preview, name="decision"),
    path("rows/item/", views.item_row, name="item_row"),
    path("rows/funding/", views.funding_row, name="funding_row"),
    path("<int:pk>/", views.plan_detail, name="detail"),
    path("<int:pk>/edit/", views.plan_wizard, name="edit"),
    path("<int:pk>/file/", views.plan_file, name="file"),
    path("<int:pk>/cancel/", views.plan_cancel, name="cancel"),
    path("<int:pk>/revise/", views.plan_revise, name="revise"),
    path("<int:pk>/start/", views.plan_start, name="start"),
    path("<int:pk>/complete/", views.plan_complete, name="complete"),
    path("<int:pk>/intention/", views.plan_intention, name="intention_publish"),
    path("changes/", views.change_list, name="changes"),
    path("changes/<int:pk>/", views.change_detail, name="change_detail"),
    path("changes/<int:pk>/attachments/<int:attachment_id>/", views.attachment_download, name="attachment"),
    path("notices/", views.notice_list, name="notices"),
    path("intentions/", views.intention_list, name="intentions"),
    path("intentions/<int:pk>/", views.intention_detail, name="intention_detail"),
]
