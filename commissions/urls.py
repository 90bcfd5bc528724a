app_name = "commissions"

urlpatterns: list = []
