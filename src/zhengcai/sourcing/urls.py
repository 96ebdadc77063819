from django.urls import path

from zhengcai.sourcing import views

app_name = "sourcing"

urlpatterns = [
    path("", views.event_list, name="list"),
    path("new/", views.event_create, name="create"),
    path("<int:pk>/", views.event_detail, name="detail"),
    path("<int:pk>/board/", views.auction_board, name="board"),
    path("<int:pk>/quote/", views.quote_submit, name="quote"),
    path("<int:pk>/bid/", views.bid_place, name="bid"),
    path("<int:pk>/quotes/<int:quote_id>/mark/", views.quote_mark, name="mark"),
    path("<int:pk>/award/", views.event_award, name="award"),
    path("<int:pk>/award-next/", views.event_award_next, name="award_next"),
    path("<int:pk>/cancel/", views.event_cancel, name="cancel"),
    path("<int:pk>/republish/", views.event_republish, name="republish"),
]
