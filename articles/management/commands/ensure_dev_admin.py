import secrets

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = (
        "Development only: make sure an admin account exists and print its login. "
        "The password is generated once and kept in var/dev-admin-password.txt."
    )

    def add_arguments(self, parser):
        parser.add_argument("--username", default="admin")

    def handle(self, *args, username, **options):
        password_file = settings.BASE_DIR / "var" / "dev-admin-password.txt"
        User = get_user_model()
        user = User.objects.filter(username=username).first()
        if user is None:
            password = secrets.token_urlsafe(12)
            User.objects.create_superuser(username, email="", password=password)
            password_file.parent.mkdir(parents=True, exist_ok=True)
            password_file.write_text(password + "\n")
            password_file.chmod(0o600)
        elif password_file.is_file() and user.check_password(password_file.read_text().strip()):
            password = password_file.read_text().strip()
        else:
            self.stdout.write(
                f"Admin user {username!r} exists with a password set by hand; "
                f"change it with: python manage.py changepassword {username}"
            )
            return
        self.stdout.write(f"Admin login: {username} / {password}")
