from ninja.pagination import LimitOffsetPagination

from caredesk.audit.actions import ip_of, record_listing


def audited_pagination(action: str, object_type: str) -> type[LimitOffsetPagination]:
    """Limit/offset pagination that audits the page it returns (see `record_listing`)."""

    class AuditedPagination(LimitOffsetPagination):
        def paginate_queryset(self, queryset, pagination, request=None, **params):
            page = super().paginate_queryset(queryset, pagination, request=request, **params)
            page["items"] = list(page["items"])
            record_listing(request.auth, action, object_type, page["items"], ip=ip_of(request))
            return page

    return AuditedPagination
