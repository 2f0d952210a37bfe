from django.http import HttpResponse
from django.utils.html import escape


def hello(request):
    name = request.GET.get("name", "")
    return HttpResponse("<h1>Hello " + escape(name) + "</h1>")
