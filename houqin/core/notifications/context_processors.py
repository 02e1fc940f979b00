def unread(request):
    """Unread notification count for the header bell (one indexed COUNT query per request).

    Memoised on the request: a page can bind its context several times (every
    django-tables2 TemplateColumn cell renders with the page's RequestContext), and each
    binding runs the context processors again; a list page must not query once per row.
    """
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    count = getattr(request, "_houqin_unread_notifications", None)
    if count is None:
        count = user.notifications.filter(read_at__isnull=True).count()
        request._houqin_unread_notifications = count
    return {"unread_notifications": count}
