"""The account page for API keys (/konto/api-noegler/): the user makes keys, sees them (by name and first
characters, never the key) and revokes them. A new key is shown once, on the answer to the form."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from . import services
from .forms import ApiTokenForm


@login_required
@never_cache
def token_list(request):
    form = ApiTokenForm(request.POST or None)
    new_key = None
    if request.method == "POST" and form.is_valid():
        _token, new_key = services.api_token_create(user=request.user, name=form.cleaned_data["name"])
        form = ApiTokenForm()
    context = {"form": form, "new_key": new_key, "tokens": request.user.api_tokens.all()}
    return render(request, "api/token_list.html", context)


@login_required
@require_POST
def token_revoke(request, pk):
    token = services.api_token_revoke(user=request.user, token_id=pk)
    messages.success(
        request, _("API-nøglen »%(name)s« er slettet og virker ikke længere.") % {"name": token.name}
    )
    return redirect("api:token_list")
