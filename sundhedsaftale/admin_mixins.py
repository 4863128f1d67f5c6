"""What the admins of every app share."""


class ViewOnlyMixin:
    """For a ModelAdmin or an inline whose rows the application's own workflow writes: the admin shows
    them and never adds, changes or deletes one (that would bypass the workflow's checks and history)."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
