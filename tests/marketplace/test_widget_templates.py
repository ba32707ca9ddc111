"""templates/django/forms/widgets/: our select and radio/checkbox list templates
write Django's default option markup inline (a long select was two includes per
option). They must render exactly what Django's own templates render."""

import pytest
from django import forms
from django.conf import settings as django_settings
from django.forms.renderers import (
    DjangoTemplates,
    TemplatesSetting,
    get_default_renderer,
)

CHOICES = [
    ("", "انتخاب کنید"),
    (1, "تهران"),
    (2, 'اصفهان <b>"نصف جهان"</b>'),
    ("گروه", [(3, "شیراز"), (4, "یزد & کرمان")]),
]


class Form(forms.Form):
    select = forms.ChoiceField(choices=CHOICES)
    select_attrs = forms.ChoiceField(
        choices=CHOICES, widget=forms.Select(attrs={"class": "wide", "data-x": "۱"})
    )
    multiple = forms.MultipleChoiceField(choices=CHOICES[1:])
    radio = forms.ChoiceField(choices=CHOICES[1:], widget=forms.RadioSelect)
    radio_attrs = forms.ChoiceField(
        choices=CHOICES[1:], widget=forms.RadioSelect(attrs={"class": "choices"})
    )
    boxes = forms.MultipleChoiceField(
        choices=CHOICES[1:], widget=forms.CheckboxSelectMultiple
    )
    yes_no = forms.NullBooleanField()
    disabled = forms.ChoiceField(choices=CHOICES, disabled=True)


class MarkedOption(forms.Select):
    option_template_name = "tests/marked_option.html"


DATA = [
    {},
    {"select": "2", "select_attrs": "3", "multiple": ["1", "4"], "radio": "4",
     "radio_attrs": "2", "boxes": ["2", "3"], "yes_no": "true", "disabled": "1"},
    {"select": "غلط", "radio": "<script>"},
]  # fmt: skip


def test_the_site_renders_widgets_through_its_own_templates():
    assert isinstance(get_default_renderer(), TemplatesSetting)
    assert django_settings.FORM_RENDERER == "django.forms.renderers.TemplatesSetting"


@pytest.mark.parametrize("data", DATA)
def test_every_widget_renders_exactly_as_django_does(data):
    ours, djangos = TemplatesSetting(), DjangoTemplates()
    for name in Form.base_fields:
        bound = Form(data or None, initial={"select": 1, "radio": 3}, auto_id="id_%s")
        field = bound[name]
        mine = _render(field, ours)
        theirs = _render(field, djangos)
        assert mine == theirs, name


def _render(bound_field, renderer):
    widget = bound_field.field.widget
    return widget.render(
        bound_field.html_name,
        bound_field.value(),
        attrs=bound_field.build_widget_attrs(
            {"id": bound_field.auto_id} if bound_field.auto_id else {}
        ),
        renderer=renderer,
    )


def test_our_select_is_the_one_used_and_writes_options_inline():
    from django.template.loader import get_template

    template = get_template("django/forms/widgets/select.html")
    assert str(django_settings.BASE_DIR / "templates") in template.origin.name
    html = forms.Select(choices=CHOICES).render("p", "1")
    assert '<option value="1" selected>تهران</option>' in html
    assert "&lt;b&gt;&quot;نصف جهان&quot;&lt;/b&gt;" in html


def test_an_option_with_its_own_template_still_uses_it(tmp_path, settings):
    (tmp_path / "tests").mkdir()
    (tmp_path / "tests" / "marked_option.html").write_text(
        '<option data-marked value="{{ widget.value }}">{{ widget.label }}</option>'
    )
    engine = settings.TEMPLATES[0]
    settings.TEMPLATES = [{**engine, "DIRS": [*engine["DIRS"], tmp_path]}]
    html = MarkedOption(choices=[(1, "یک")]).render(
        "p", None, renderer=TemplatesSetting()
    )
    assert '<option data-marked value="1">یک</option>' in html
