"""Settings → SLA policies; mounted under ``settings/sla/``. The ticket page's SLA card lives here too."""

from django.urls import path

from kefu.sla.views import policies, tickets

app_name = "sla"

urlpatterns = [
    path("", policies.policy_list_page, name="list"),
    path("new/", policies.policy_new, name="new"),
    path("<int:policy_id>/", policies.policy_edit, name="edit"),
    path("<int:policy_id>/move/", policies.policy_move, name="move"),
    path("<int:policy_id>/delete/", policies.policy_delete_view, name="delete"),
    path("tickets/<int:ticket_id>/card/", tickets.ticket_card, name="ticket-card"),
]
