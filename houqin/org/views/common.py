from django.core.exceptions import NON_FIELD_ERRORS, ValidationError

PAGE_SIZE = 50


def apply_errors(form, exc: ValidationError):
    """Show a service's ValidationError on the form (field errors where the field exists)."""
    if hasattr(exc, "error_dict"):
        for field, errors in exc.message_dict.items():
            target = field if field in form.fields else None
            for message in errors:
                form.add_error(target if field != NON_FIELD_ERRORS else None, message)
    else:
        for message in exc.messages:
            form.add_error(None, message)
