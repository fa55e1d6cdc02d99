"""Our wording for allauth's account pages, so they speak as the rest of the site does.

allauth says "Sign In" and "Sign Out" where our pages say "Log in" and "Log out", and its
Indonesian catalogue, like Django's, mixes "anda" and "sandi" with our "Anda" and "kata sandi".
The strings citizens meet on the account pages are listed here
so that ``makemessages`` keeps them in our catalogues, which Django reads before allauth's:
``locale/en`` holds the English rewording, ``locale/id`` the Indonesian one.
"""

from django.utils.translation import gettext_noop

ALLAUTH_WORDING = [
    gettext_noop("Sign In"),
    gettext_noop("Sign Up"),
    gettext_noop("Signup"),
    gettext_noop("Sign Out"),
    gettext_noop("Are you sure you want to sign out?"),
    gettext_noop("Already have an account? Then please %(link)ssign in%(end_link)s."),
    gettext_noop("If you have not created an account yet, then please %(link)ssign up%(end_link)s first."),
    gettext_noop("The email address and/or password you specified are not correct."),
    gettext_noop("Email"),
    gettext_noop("Remember Me"),
    # Django's own catalogue (the password fields and their rules) says "sandi" and "anda".
    gettext_noop("Password"),
    gettext_noop("Password confirmation"),
    gettext_noop("Enter the same password as before, for verification."),
    gettext_noop("New password"),
    gettext_noop("Old password"),
    gettext_noop("Your old password was entered incorrectly. Please enter it again."),
    gettext_noop("Your password can’t be too similar to your other personal information."),
    gettext_noop("Your password can’t be a commonly used password."),
    gettext_noop("Your password can’t be entirely numeric."),
]
