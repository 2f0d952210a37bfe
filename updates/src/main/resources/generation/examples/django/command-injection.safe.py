import subprocess

from django.http import HttpResponse


def ping(request):
    host = request.POST.get("host")
    out = subprocess.check_output(["ping", "-c", "1", host])
    return HttpResponse(out, content_type="text/plain")
