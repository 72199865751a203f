"""django-allauth adapter: account emails go through the outbox like every other email."""

from allauth.account.adapter import DefaultAccountAdapter

from .mail import mail_queue


class AccountAdapter(DefaultAccountAdapter):
    def send_mail(self, template_prefix, email, context):
        message = self.render_mail(template_prefix, email, context)
        html = next((content for content, mimetype in getattr(message, "alternatives", []) if mimetype == "text/html"), "")
        mail_queue(to=email, subject=message.subject, text=message.body, html=html)
