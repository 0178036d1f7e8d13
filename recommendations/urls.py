from django.urls import path

from recommendations import response_views, views
from recommendations.kep import views as kep_views

app_name = "recommendations"

urlpatterns = [
    path("", views.letter_list, name="list"),
    path("years/<int:year_id>/generate/", views.letters_generate, name="generate"),
    path("years/<int:year_id>/send-drafts/", views.letters_send_all, name="send_all"),
    path("years/<int:year_id>/signed.zip", views.letters_archive, name="archive"),
    path("sign-selected/", views.letters_sign_selected, name="sign_selected"),
    path("<int:pk>/", views.letter_detail, name="detail"),
    path("<int:pk>/edit/", views.letter_edit, name="edit"),
    path("<int:pk>/send/", views.letter_send, name="send"),
    path("<int:pk>/sign/", views.letter_sign, name="sign"),
    path("<int:pk>/return/", views.letter_return, name="return"),
    path("<int:pk>/confirm/", views.letter_confirm, name="confirm"),
    path("<int:pk>/pdf/", views.letter_pdf, name="pdf"),
    path("<int:pk>/response/", response_views.letter_response, name="response"),
    path("<int:pk>/response-term/", response_views.response_term, name="response_term"),
    path("responses/", response_views.responses_missing, name="responses_missing"),
    path("verify/<str:token>/", views.verify, name="verify"),
    path("rules/", views.rule_list, name="rules"),
    path("rules/new/", views.rule_edit, name="rule_new"),
    path("rules/<int:pk>/", views.rule_edit, name="rule_edit"),
    path("register/", views.register_edit, name="register"),
    path("requisites/", views.requisites_edit, name="requisites"),
    path("kep/certificate/", kep_views.certificate, name="kep_certificate"),
    path("<int:pk>/kep/", kep_views.letter_sign, name="kep_sign"),
    path("<int:pk>/kep/prepared.pdf", kep_views.prepared_pdf, name="kep_prepared"),
    path("<int:pk>/signed.zip", kep_views.letter_package, name="kep_package"),
    path("verify/<str:token>/signature.sig", kep_views.public_signature, name="kep_signature"),
]
