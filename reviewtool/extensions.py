"""Unbound extension objects, bound to an app in create_app. Import them from here."""

from flask_login import LoginManager
from flask_wtf import CSRFProtect

login_manager = LoginManager()
csrf = CSRFProtect()
