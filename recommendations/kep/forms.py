from django import forms
from django.utils.translation import gettext_lazy as _


class CertificateForm(forms.Form):
    file = forms.FileField(
        label=_("Файл сертификата (.cer)"),
        help_text=_("Сертификат КЭП в DER или PEM, как его выгружает КриптоПро."),
    )
    signer_position = forms.CharField(
        label=_("Должность в подписи письма"),
        max_length=255,
        help_text=_("Например, «Начальник отдела образования» или «И. о. начальника»."),
    )


class SignatureForm(forms.Form):
    file = forms.FileField(
        label=_("Файл подписи (.sig)"),
        help_text=_("Открепленная подпись CAdES-BES скачанного PDF, в DER или Base64."),
    )
