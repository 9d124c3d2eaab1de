// The byline keeps the order its authors are chosen in (issue 16): the form posts the
// selected options in their order in the <select>. Select2 puts a newly chosen author at the
// end, but one removed and chosen again back where its option was; moving that option to the
// end makes "remove, then choose again" the way to move an author to the end of the byline.
"use strict";
{
    const $ = django.jQuery;

    $(document).on("select2:select", "select[name=authors]", (event) => {
        const select = event.currentTarget;
        const id = String(event.params.data.id);
        // An author chosen again has its old option (which the event's data does not name).
        const option = Array.from(select.options).find((each) => each.value === id);
        if (option && option !== select.options[select.options.length - 1]) {
            select.appendChild(option); // moving keeps it selected
            $(select).trigger("change"); // Select2 redraws the choices in the new order
        }
    });
}
