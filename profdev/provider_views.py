"""«Предложенные организации»: a methodologist confirms, merges or rejects the providers
schools proposed from their course forms (`profdev.providers`), and reads the decisions."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from profdev import providers
from profdev.models import Provider
from profdev.scoping import Scope, scope_for
from profdev.text import plural

DECISIONS_SHOWN = 50


def _scope_or_404(request: HttpRequest) -> Scope:
    scope = scope_for(request.user)
    if not scope.decides_providers:
        raise Http404
    return scope


@login_required
def proposed_providers(request: HttpRequest) -> HttpResponse:
    scope = _scope_or_404(request)
    return render(
        request,
        "profdev/proposed_providers.html",
        {
            "pending": providers.pending(scope),
            "listed": Provider.objects.filter(confirmed=True).only("pk", "name"),
            "kinds": Provider.Kind.choices,
            "decisions": providers.decisions(scope)[:DECISIONS_SHOWN],
        },
    )


def _decide(request: HttpRequest, pk: int, decide) -> HttpResponse:
    scope = _scope_or_404(request)
    provider = get_object_or_404(providers.proposed(scope), pk=pk)
    try:
        done = decide(provider)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, done)
    return redirect("proposed_providers")


@require_POST
@login_required
def provider_confirm(request: HttpRequest, pk: int) -> HttpResponse:
    def confirm(provider):
        providers.confirm(
            provider,
            name=request.POST.get("name", ""),
            kind=request.POST.get("kind", ""),
            user=request.user,
        )
        return f"Организация «{provider.name}» подтверждена: теперь её видят все ОО."

    return _decide(request, pk, confirm)


@require_POST
@login_required
def provider_merge(request: HttpRequest, pk: int) -> HttpResponse:
    def merge(provider):
        target = request.POST.get("target", "")
        target = Provider.objects.filter(pk=int(target)).first() if target.isdigit() else None
        if target is None:
            raise ValidationError("Выберите организацию из списка, с которой объединить.")
        moved = providers.merge(provider, target, user=request.user)
        courses = plural(moved, "курс перенесён", "курса перенесены", "курсов перенесены")
        return f"«{provider.name}» объединена с «{target.name}»: {moved} {courses}."

    return _decide(request, pk, merge)


@require_POST
@login_required
def provider_reject(request: HttpRequest, pk: int) -> HttpResponse:
    def reject(provider):
        providers.reject(provider, user=request.user)
        return f"Предложение «{provider.name}» отклонено."

    return _decide(request, pk, reject)
