from django.apps import AppConfig


class TestAppConfig(AppConfig):
    """A test-only app: a small signable model that exercises the workflow engine.

    Installed only by `openqms.settings_test`; never in a real instance.
    """

    name = "openqms.testapp"
    label = "testapp"
