"""The roles a person can hold on the site, kept as Django groups.

The group names are data (created by a migration), so they stay in English; pages
show the translated labels below.
"""

from django.utils.translation import gettext_lazy as _

MODERATORS = "Moderators"
CITY_STAFF = "City staff"
OPERATOR_STAFF = "Operator staff"

ROLE_GROUPS = (MODERATORS, CITY_STAFF, OPERATOR_STAFF)
# The roles whose powers need a second factor (``citizens.step_up``); operator staff act as citizens.
STAFF_ROLES = (MODERATORS, CITY_STAFF)

ROLE_LABELS = {
    MODERATORS: _("Moderator"),
    CITY_STAFF: _("City staff"),
    OPERATOR_STAFF: _("Operator staff"),
}
