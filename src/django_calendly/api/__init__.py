"""The REST endpoints of the original module (``/modules/calendly/...``), rebuilt on DRF.

Views validate with serializers, call one function of
:mod:`django_calendly.services.calendly_api` and render Calendly's answer; every error,
ours or Calendly's, leaves in the one JSON shape of :mod:`django_calendly.api.errors`.
"""
