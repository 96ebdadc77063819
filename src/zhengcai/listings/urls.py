from django.urls import path

from zhengcai.listings import views

app_name = "listings"

urlpatterns = [
    path("mine/", views.mine, name="mine"),
    path("mine/new/", views.listing_form, name="create"),
    path("mine/spec-fields/", views.spec_fields, name="spec_fields"),
    path("mine/<int:pk>/", views.detail, name="detail"),
    path("mine/<int:pk>/edit/", views.listing_form, name="edit"),
    path("mine/<int:pk>/submit/", views.submit, name="submit"),
    path("mine/<int:pk>/price/", views.price, name="price"),
    path("mine/<int:pk>/stock/", views.stock, name="stock"),
    path("mine/<int:pk>/relist/", views.relist, name="relist"),
    path("mine/<int:pk>/images/", views.image_add, name="image_add"),
    path("mine/<int:pk>/images/<int:image_id>/remove/", views.image_remove, name="image_remove"),
    path("<int:pk>/delist/", views.delist, name="delist"),
    path("images/<int:pk>/", views.image, name="image"),
    path("review/", views.review_queue, name="review_queue"),
    path("all/", views.operator_listings, name="operator_listings"),
    path("review/<int:pk>/", views.review_detail, name="review_detail"),
    path("review/<int:pk>/decide/", views.review_decide, name="review_decide"),
    path("categories/", views.categories, name="categories"),
    path("categories/<int:pk>/", views.category_edit, name="category_edit"),
    path("categories/<int:pk>/specs/", views.spec_save, name="spec_save"),
    path("categories/<int:pk>/specs/<int:spec_id>/remove/", views.spec_remove, name="spec_remove"),
    path("categories/<int:pk>/specs/<int:spec_id>/move/", views.spec_move, name="spec_move"),
    path("banned-words/", views.banned_words, name="banned_words"),
]
