"""Console pages of the knowledge base."""

from django.urls import path

from kefu.kb import views

app_name = "kb"

urlpatterns = [
    path("", views.article_list, name="article-list"),
    path("articles/new/", views.article_create, name="article-create"),
    path("articles/<int:article_id>/", views.article_edit, name="article-edit"),
    path("articles/<int:article_id>/versions/", views.article_versions, name="article-versions"),
    path(
        "articles/<int:article_id>/versions/<int:number>/restore/",
        views.article_restore,
        name="article-restore",
    ),
    path("articles/<int:article_id>/delete/", views.article_delete, name="article-delete"),
    path("articles/<int:article_id>/attachments/", views.attachment_upload, name="attachment-upload"),
    path("categories/", views.categories, name="categories"),
    path("categories/<str:kind>/<int:object_id>/delete/", views.category_delete, name="category-delete"),
    path("tickets/<int:ticket_id>/", views.ticket_panel, name="ticket-panel"),
    path("replies/<int:thread_id>/article/", views.from_reply, name="from-reply"),
]
