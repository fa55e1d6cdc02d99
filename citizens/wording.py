"""Our wording for allauth's account pages, so they speak as the rest of the site does.

allauth says "Sign In" and "Sign Out" where our pages say "Log in" and "Log out", and its
Indonesian catalogue, like Django's, mixes "anda" and "sandi" with our "Anda" and "kata sandi".
The strings citizens meet on the account pages are listed here
so that ``makemessages`` keeps them in our catalogues, which Django reads before allauth's:
``locale/en`` holds the English rewording, ``locale/id`` the Indonesian one.
"""

from django.utils.translation import gettext_noop, ngettext_lazy

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
    # allauth has no Malay or Vietnamese catalogue: what its log-in page says besides the above.
    gettext_noop("Forgot your password?"),
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
    # allauth's Indonesian writes "e-mail" and "anda" where our pages write "email" and "Anda".
    gettext_noop("This email address is already associated with this account."),
    gettext_noop("A user is already registered with this email address."),
    gettext_noop("You cannot add more than %d email addresses."),
    gettext_noop("The email address is not assigned to any user account."),
    gettext_noop("Your primary email address must be verified."),
    gettext_noop("Email address"),
    gettext_noop("Email (again)"),
    gettext_noop("Email address confirmation"),
    gettext_noop("Email (optional)"),
    gettext_noop("You must type the same email each time."),
    gettext_noop("email address"),
    gettext_noop("email addresses"),
    gettext_noop("email confirmation"),
    gettext_noop("email confirmations"),
    gettext_noop("Email Verification"),
    gettext_noop("Enter Email Verification Code"),
    gettext_noop("Use a different email address"),
    gettext_noop("Email Addresses"),
    gettext_noop("The following email addresses are associated with your account:"),
    gettext_noop("Add Email Address"),
    gettext_noop("Add Email"),
    gettext_noop("Do you really want to remove the selected email address?"),
    gettext_noop("Your email has been changed from %(from_email)s to %(to_email)s."),
    gettext_noop("Email Changed"),
    gettext_noop("Your email has been confirmed."),
    gettext_noop("Email Confirmation"),
    gettext_noop("Your email verification code is listed below. Please enter it in your open browser window."),
    gettext_noop("Please Confirm Your Email Address"),
    gettext_noop("Email address %(deleted_email)s has been removed from your account."),
    gettext_noop("Email Removed"),
    gettext_noop("Password Reset Email"),
    gettext_noop("Confirm Email Address"),
    gettext_noop(
        'Please confirm that <a href="mailto:%(email)s">%(email)s</a> is an email address for user %(user_display)s.'
    ),
    gettext_noop(
        'This email confirmation link expired or is invalid. Please <a href="%(email_url)s">issue a new email confirmation request</a>.'
    ),
    gettext_noop("You cannot remove your primary email address (%(email)s)."),
    gettext_noop("Confirmation email sent to %(email)s."),
    gettext_noop("Removed email address %(email)s."),
    gettext_noop("Primary email address set."),
    gettext_noop(
        "You currently do not have any email address set up. You should really add an email address so you can receive notifications, reset your password, etc."
    ),
    gettext_noop("Verify Your Email Address"),
    gettext_noop(
        "We have sent an email to you for verification. Follow the link provided to finalize the signup process. If you do not see the verification email in your main inbox, check your spam folder. Please contact us if you do not receive the verification email within a few minutes."
    ),
    gettext_noop('<strong>Note:</strong> you can still <a href="%(email_url)s">change your email address</a>.'),
]

# Django's Thai catalogue lacks the sign-up page's password rule (Django's password validation).
PASSWORD_RULE = ngettext_lazy(
    "Your password must contain at least %(min_length)d character.",
    "Your password must contain at least %(min_length)d characters.",
    "min_length",
)
