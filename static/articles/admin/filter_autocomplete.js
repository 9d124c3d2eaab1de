// The change list's long filters (authors, source outlets) as autocompletes (issue 19): the
// admin's bundled Select2 asks the admin's autocomplete view; choosing a row reloads the list
// with the filter's parameter set, keeping the other filters and the search.
"use strict";
{
    const $ = django.jQuery;

    function install(element) {
        $(element).select2({
            theme: "admin-autocomplete",
            width: "100%",
            allowClear: true,
            placeholder: element.dataset.placeholder,
            minimumInputLength: 1,
            ajax: {
                url: element.dataset.url,
                dataType: "json",
                delay: 250,
                data: (params) => ({
                    term: params.term,
                    page: params.page,
                    app_label: element.dataset.appLabel,
                    model_name: element.dataset.modelName,
                    field_name: element.dataset.fieldName,
                }),
            },
        });
        $(element).on("select2:select", (event) => {
            const base = element.dataset.base || "?";
            const params = new URLSearchParams(base.startsWith("?") ? base.slice(1) : base);
            params.set(element.dataset.param, event.params.data.id);
            params.delete("p");
            window.location.search = params.toString();
        });
    }

    $(function () {
        $(".desk-filter-autocomplete").each((index, element) => install(element));
    });
}
