from django.shortcuts import render


def demo_page(request):
    """A sample clinic web page with the widget embedded, as a clinic would with one script tag."""
    return render(request, "webchat/demo.html")
