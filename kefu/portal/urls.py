"""The help centers at ``/hc/<brand slug>/``."""

from django.urls import path

from kefu.portal.views import account, pages, tickets, widget

app_name = "portal"

urlpatterns = [
    path("<slug:slug>/", pages.home, name="home"),
    path("<slug:slug>/sitemap.xml", pages.sitemap, name="sitemap"),
    path("<slug:slug>/search/", pages.search, name="search"),
    path("<slug:slug>/suggest/", pages.suggest, name="suggest"),
    path("<slug:slug>/categories/<int:category_id>/", pages.category, name="category"),
    path("<slug:slug>/sections/<int:section_id>/", pages.section, name="section"),
    path("<slug:slug>/articles/<int:article_id>/", pages.article, name="article"),
    path("<slug:slug>/articles/<int:article_id>-<str:article_slug>/", pages.article, name="article-slug"),
    path("<slug:slug>/articles/<int:article_id>/vote/", pages.article_vote, name="article-vote"),
    path("<slug:slug>/files/<int:attachment_id>/", pages.article_file, name="article-file"),
    path("<slug:slug>/signup/", account.sign_up, name="sign-up"),
    path("<slug:slug>/verify/<str:token>/", account.verify, name="verify"),
    path("<slug:slug>/signin/", account.sign_in, name="sign-in"),
    path("<slug:slug>/signout/", account.sign_out, name="sign-out"),
    path("<slug:slug>/password/reset/", account.password_reset, name="password-reset"),
    path("<slug:slug>/password/set/<str:uidb64>/<str:token>/", account.password_set, name="password-set"),
    path("<slug:slug>/profile/", account.profile, name="profile"),
    path("<slug:slug>/tickets/", tickets.ticket_list, name="tickets"),
    path("<slug:slug>/tickets/new/", tickets.ticket_new, name="ticket-new"),
    path("<slug:slug>/tickets/<int:ticket_id>/", tickets.ticket_detail, name="ticket"),
    path("<slug:slug>/tickets/<int:ticket_id>/close/", tickets.ticket_close, name="ticket-close"),
    path(
        "<slug:slug>/tickets/<int:ticket_id>/files/<int:attachment_id>/",
        tickets.ticket_attachment,
        name="ticket-attachment",
    ),
    path("<slug:slug>/widget/", widget.home, name="widget"),
    path("<slug:slug>/widget/ask/", widget.ask, name="widget-ask"),
    path("<slug:slug>/widget/search/", widget.search, name="widget-search"),
    path("<slug:slug>/widget/suggest/", widget.suggest, name="widget-suggest"),
    path("<slug:slug>/widget/articles/<int:article_id>/", widget.article, name="widget-article"),
    path("<slug:slug>/widget/ticket/", widget.ticket, name="widget-ticket"),
    path("<slug:slug>/widget/tickets/", widget.tickets, name="widget-tickets"),
]
