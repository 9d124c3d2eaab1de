// The body editor's image picker (issue 19): "Use this image" hands the chosen rendition, its
// id, alt text and caption back to the editor's "Insert figure" dialog (django-prose-editor's
// Figure picker speaks CKEditor's callFunction protocol), then closes the window.
"use strict";
{
    function pick(button) {
        const box = document.querySelector(".desk-picker");
        const funcNum = box ? box.dataset.funcNum : "";
        const editor = window.opener && window.opener.CKEDITOR && window.opener.CKEDITOR.tools;
        if (!editor || !funcNum) {
            return;
        }
        editor.callFunction(funcNum, button.dataset.url, {
            id: button.dataset.id,
            alternative_text: button.dataset.alt,
            caption: button.dataset.caption,
        });
        window.close();
    }

    document.addEventListener("click", (event) => {
        const button = event.target.closest(".desk-pick");
        if (button) {
            pick(button);
        }
    });
}
