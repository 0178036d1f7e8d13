"""The head's qualified electronic signature (КЭП): a ГОСТ Р 34.10-2012 certificate registered
with the portal, the letter's final PDF signed by the head's own tool as a detached CAdES-BES
signature (`.sig`), and its full verification.

`gost` reads keys, certificates and signatures by the published conventions; `trust` builds the
chain to the accredited УЦ roots in PROFDEV_TRUSTED_CERTS; `cades` verifies a detached
signature; `signer.CadesSigner` stands beside `signing.PadesSigner` behind the `Signer` protocol;
`services` holds the workflow (register, prepare, attach).
"""
