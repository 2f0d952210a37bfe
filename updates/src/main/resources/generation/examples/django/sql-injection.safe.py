from django.http import JsonResponse

from .models import Order


def orders(request):
    customer = request.GET.get("customer")
    rows = Order.objects.raw("SELECT * FROM shop_order WHERE customer = %s", [customer])
    return JsonResponse({"orders": [row.id for row in rows]})
