from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError

from recommendations import models
from recommendations.kep.services import certificate_check, certificate_register, refuse_non_signer
from recommendations.signing import certificate_set, read_pkcs12


class SigningCertificateForm(forms.ModelForm):
    """Upload a PKCS#12 file with its passphrase; the passphrase is stored only encrypted."""

    pkcs12_file = forms.FileField(label="Файл PKCS#12 (.p12, .pfx)")
    passphrase = forms.CharField(
        label="Пароль к файлу", widget=forms.PasswordInput(render_value=False), required=False
    )

    class Meta:
        model = models.SigningCertificate
        fields = ["user", "signer_name", "signer_position"]

    def clean(self):
        cleaned = super().clean()
        upload = cleaned.get("pkcs12_file")
        if upload is not None:
            self.pkcs12_data = upload.read()
            try:
                read_pkcs12(self.pkcs12_data, cleaned.get("passphrase") or "")
            except ValidationError as error:
                self.add_error("pkcs12_file", error)
        return cleaned


@admin.register(models.SigningCertificate)
class SigningCertificateAdmin(admin.ModelAdmin):
    form = SigningCertificateForm
    list_display = ["user", "signer_name", "signer_position", "serial_number", "valid_until"]
    readonly_fields = ["serial_number", "owner", "valid_from", "valid_until"]

    def save_model(self, request, obj, form, change):
        saved = certificate_set(
            user=form.cleaned_data["user"],
            pkcs12_data=form.pkcs12_data,
            passphrase=form.cleaned_data.get("passphrase") or "",
            signer_name=form.cleaned_data["signer_name"],
            signer_position=form.cleaned_data["signer_position"],
        )
        obj.pk = saved.pk


class QualifiedCertificateForm(forms.ModelForm):
    """The administrator registers a head's КЭП certificate (the same checks as the head's page)."""

    certificate_file = forms.FileField(label="Файл сертификата КЭП (.cer, DER или PEM)")

    class Meta:
        model = models.QualifiedCertificate
        fields = ["user", "signer_position"]

    def clean(self):
        cleaned = super().clean()
        upload, user = cleaned.get("certificate_file"), cleaned.get("user")
        if upload is not None and user is not None:
            self.certificate_data = upload.read()
            try:
                refuse_non_signer(user)
                certificate_check(self.certificate_data, cleaned.get("signer_position") or "")
            except ValidationError as error:
                self.add_error("certificate_file", error)
        return cleaned


@admin.register(models.QualifiedCertificate)
class QualifiedCertificateAdmin(admin.ModelAdmin):
    form = QualifiedCertificateForm
    list_display = ["user", "owner", "serial_number", "issuer", "valid_until"]
    readonly_fields = [
        "owner",
        "organisation",
        "serial_number",
        "issuer",
        "valid_from",
        "valid_until",
    ]

    def save_model(self, request, obj, form, change):
        saved = certificate_register(
            user=form.cleaned_data["user"],
            data=form.certificate_data,
            signer_position=form.cleaned_data["signer_position"],
        )
        obj.pk = saved.pk


@admin.register(models.RecommendationRule)
class RecommendationRuleAdmin(admin.ModelAdmin):
    list_display = ["indicator", "trigger", "audience", "active", "order"]
    list_filter = ["audience", "trigger", "active"]


@admin.register(models.OutgoingRegister)
class OutgoingRegisterAdmin(admin.ModelAdmin):
    list_display = ["district", "year", "number_format", "next_number"]


@admin.register(models.Letter)
class LetterAdmin(admin.ModelAdmin):
    list_display = ["__str__", "status", "number", "date"]
    list_filter = ["status"]
    fields = ["monitoring_year", "school", "status", "number", "date", "signer_name", "sha256"]
    readonly_fields = fields

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
