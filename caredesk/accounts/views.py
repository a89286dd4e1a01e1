import segno
from django.contrib import messages
from django.contrib.auth import login, logout
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from caredesk.accounts import actions
from caredesk.accounts.forms import CodeForm, SignInForm
from caredesk.accounts.middleware import MFA_VERIFIED_KEY
from caredesk.audit.actions import ip_of

ENROL_SECRET_KEY = "mfa_enrol_secret"


def sign_in(request):
    form = SignInForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            user = actions.sign_in(form.cleaned_data["username"], form.cleaned_data["password"], ip=ip_of(request))
        except actions.SignInError as exc:
            form.add_error(None, str(exc))
        else:
            login(request, user, backend="django.contrib.auth.backends.ModelBackend")
            return redirect("accounts:mfa_verify" if user.mfa_enabled else "home")
    idle = request.GET.get("idle") == "1"
    return render(request, "accounts/login.html", {"form": form, "idle": idle}, status=400 if form.errors else 200)


@require_POST
def sign_out(request):
    logout(request)
    return redirect("accounts:login")


@login_required
def mfa_verify(request):
    if not request.user.mfa_enabled:
        return redirect("home")
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if actions.verify_mfa(request.user, form.cleaned_data["code"], ip=ip_of(request)):
            request.session.cycle_key()
            request.session[MFA_VERIFIED_KEY] = True
            return redirect("home")
        form.add_error("code", "That code did not work. Codes change every 30 seconds; try the newest one.")
    return render(request, "accounts/mfa_verify.html", {"form": form}, status=400 if form.errors else 200)


@login_required
def mfa_enrol(request):
    if request.user.mfa_enabled and not request.session.get(MFA_VERIFIED_KEY):
        return redirect("accounts:mfa_verify")
    secret = request.session.get(ENROL_SECRET_KEY)
    if secret is None or request.method == "GET":
        secret = request.session[ENROL_SECRET_KEY] = actions.new_mfa_secret()
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            codes = actions.confirm_mfa_enrolment(request.user, secret, form.cleaned_data["code"], ip=ip_of(request))
        except ValidationError as exc:
            form.add_error("code", exc.message_dict["code"][0])
        else:
            del request.session[ENROL_SECRET_KEY]
            request.session[MFA_VERIFIED_KEY] = True
            return render(request, "accounts/recovery_codes.html", {"codes": codes})
    qr = segno.make(actions.mfa_provisioning_uri(request.user, secret), error="m").svg_data_uri(scale=5)
    context = {"form": form, "secret": secret, "qr": qr}
    return render(request, "accounts/mfa_enrol.html", context, status=400 if form.errors else 200)


@login_required
@require_POST
def toggle_duty(request):
    user = actions.set_on_duty(request.user, not request.user.is_on_duty, ip=ip_of(request))
    messages.info(request, "You are on duty." if user.is_on_duty else "You are off duty.")
    return redirect(_safe_next(request) or "home")


def _safe_next(request) -> str | None:
    # `next` comes from the form; only same-site paths, so the toggle cannot bounce staff to another site.
    target = request.POST.get("next")
    allowed = url_has_allowed_host_and_scheme(target, {request.get_host()}, require_https=request.is_secure())
    return target if allowed else None
