"""How the OpenAPI schema describes an API key (drf-spectacular extension, loaded in apps.ready)."""

from drf_spectacular.extensions import OpenApiAuthenticationExtension


class ApiTokenScheme(OpenApiAuthenticationExtension):
    target_class = "api.authentication.ApiTokenAuthentication"
    name = "apiKey"

    def get_security_definition(self, auto_schema):
        return {
            "type": "apiKey",
            "in": "header",
            "name": "Authorization",
            "description": (
                "Valgfri: »Token <nøgle>« fra /konto/api-noegler/ / "
                "Optional: 'Token <key>' from /konto/api-noegler/"
            ),
        }
