// The article form's tag field (articles.admin.TagAutocompleteWidget): the admin's bundled
// Select2 suggests existing tags from the Tag admin's JSON view after two letters, and a
// name nobody has used yet is offered as a new tag. The values are tag names, so a name
// with a comma or a quote stays one tag; the server makes new tags and their slugs.
"use strict";
{
    const $ = django.jQuery;

    function clean(term) {
        return (term || "").trim().replace(/\s+/g, " ");
    }

    function install(element) {
        // Someone without the right to make tags (data-allow-new="false") only chooses.
        const allowNew = element.dataset.allowNew !== "false";
        $(element).select2({
            theme: "admin-autocomplete",
            width: "element",
            tags: allowNew,
            minimumInputLength: 2,
            placeholder: element.dataset.placeholder,
            ajax: {
                url: element.dataset.autocompleteUrl,
                dataType: "json",
                delay: 250,
                cache: true,
                data: (params) => ({ term: params.term, page: params.page }),
            },
            createTag: (params) => {
                const name = clean(params.term);
                return name ? { id: name, text: name, isNew: true } : null;
            },
            templateResult: (item) => (item.isNew ? `${item.text} (new tag)` : item.text),
        });
    }

    $(function () {
        $(".digest-tag-autocomplete").each((index, element) => install(element));
    });
}
