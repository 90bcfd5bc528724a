"""The planner's rows drawn by `{% planner_rows %}` are, byte for byte, what the template loop
they replaced drew: cards of every status, names that need escaping, today's column, early and
late activities, in English and in Polish."""

from datetime import timedelta
from zoneinfo import ZoneInfo

import pytest
from django.template import Context, Template
from django.utils import translation

from activities.selectors import planner_week
from tests.activities.conftest import MONDAY, NOW, local
from tests.factories import AccountFactory, ActivityFactory

# The grid as templates/activities/partials/planner.html drew it before the tag.
TEMPLATE_LOOP = """{% load i18n %}{% url 'activities:planner' as planner_url %}\
{% translate "Plan at" as plan_at %}<tbody>
    {% for hour, cells in week.rows %}
      <tr><th class="hour">{{ hour|stringformat:"02d" }}:00</th>
      {% for cell in cells %}
        <td class="slot{% if cell.today %} today{% endif %}" data-slot="{{ cell.key }}">
          {% for entry in cell.entries %}{% with activity=entry.activity pk=entry.activity.pk|stringformat:"d" %}
          <a class="pl-item type-{{ activity.type }} st-{{ activity.status }}" href="?{{ week.query }}&amp;open={{ pk }}" hx-get="{{ planner_url }}?{{ week.query }}&amp;open={{ pk }}" hx-target="#planner" data-activity="{{ pk }}">
            <span class="pl-time">{{ entry.time }}</span>
            <span class="pl-type">{{ activity.get_type_display }}</span>
            <span class="pl-account">{{ activity.account.name }}</span>
            {% if activity.status != "planned" %}<span class="pl-status">{{ activity.get_status_display }}</span>{% endif %}
          </a>
          {% endwith %}{% endfor %}
          <a class="pl-new" href="?{{ week.query }}&amp;new={{ cell.key }}" hx-get="{{ planner_url }}?{{ week.query }}&amp;new={{ cell.key }}" hx-target="#planner" title="{{ plan_at }} {{ cell.label }}" aria-label="{{ plan_at }} {{ cell.label }}">+</a>
        </td>
      {% endfor %}
      </tr>
    {% endfor %}
    </tbody>"""  # noqa: E501

TAG = """{% load i18n planner %}{% url 'activities:planner' as planner_url %}\
{% translate "Plan at" as plan_at %}<tbody>
    {% planner_rows week planner_url plan_at %}
    </tbody>"""


@pytest.mark.parametrize("language", ["en", "pl"])
def test_the_tag_draws_the_rows_the_template_loop_drew(alice, alice_account, language):
    odd = AccountFactory(owner=alice, name='O\'Brien & <Sons> "Ltd"')
    for n, (status, kind) in enumerate(
        [("planned", "visit"), ("done", "call"), ("missed", "meeting"), ("planned", "task")]
    ):
        ActivityFactory(
            account=(alice_account, odd)[n % 2],
            type=kind,
            status=status,
            starts_at=local(MONDAY + timedelta(days=n), 9 + n, 15 * n),
        )
    ActivityFactory(account=odd, starts_at=local(MONDAY, 6, 5))  # before the first row
    ActivityFactory(account=odd, starts_at=local(MONDAY + timedelta(days=6), 23, 30))  # after
    ActivityFactory(account=alice_account, starts_at=local(MONDAY, 9, 45))  # a second card
    with translation.override(language):
        week = planner_week(
            user=alice, owner=alice, monday=MONDAY, zone=ZoneInfo("Europe/Warsaw"), now=NOW
        )
        context = {"week": week}
        before = Template(TEMPLATE_LOOP).render(Context(context))
        after = Template(TAG).render(Context(context))

    assert week.count == 7
    assert "O&#x27;Brien &amp; &lt;Sons&gt; &quot;Ltd&quot;" in after
    assert after.count('class="slot today"') == 14
    assert after == before
