from django.urls import path

from . import views

app_name = "activities"

urlpatterns = [
    path("", views.activity_list, name="list"),
    path("planner/", views.planner, name="planner"),
    path("today/", views.today, name="today"),
    path("neglected/", views.neglected, name="neglected"),
    path("summary/", views.summary, name="summary"),
    path("create/", views.activity_create, name="create"),
    path("log/<int:account_pk>/", views.activity_log, name="log"),
    path("timeline/<int:account_pk>/", views.account_timeline, name="account_timeline"),
    path("tasks/assign/", views.task_assign, name="task_assign"),
    path("<int:pk>/", views.activity_detail, name="detail"),
    path("<int:pk>/complete/", views.activity_complete, name="complete"),
    path("<int:pk>/reschedule/", views.activity_reschedule, name="reschedule"),
    path("<int:pk>/cancel/", views.activity_cancel, name="cancel"),
    path("<int:pk>/missed/", views.activity_mark_missed, name="missed"),
    path("notifications/", views.notifications, name="notifications"),
    path("notifications/read-all/", views.notifications_read_all, name="notifications_read_all"),
    path("notifications/<int:pk>/read/", views.notification_read, name="notification_read"),
    path("notifications/<int:pk>/open/", views.notification_open, name="notification_open"),
    path("settings/", views.my_settings, name="settings"),
    path("settings/calendar/", views.calendar_regenerate, name="calendar_regenerate"),
    path("settings/api-token/", views.api_token_new, name="api_token_new"),
    path("settings/api-token/revoke/", views.api_token_delete, name="api_token_revoke"),
    path("calendar/<int:user_id>/<str:token>.ics", views.calendar_feed, name="calendar_feed"),
]
