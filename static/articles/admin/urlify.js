// The admin's slug prepopulation, spelled like articles.text.slugify on the server:
// Azerbaijani and Turkish letters are transliterated ("Şuşa" → "shusha", "ə" → "e")
// instead of being dropped. The server re-slugifies on save whatever arrives.
"use strict";
(function () {
    const MAP = {
        "ə": "e", "Ə": "E", "ı": "i", "İ": "I", "ş": "sh", "Ş": "Sh", "ç": "ch", "Ç": "Ch",
        "ğ": "g", "Ğ": "G", "ö": "o", "Ö": "O", "ü": "u", "Ü": "U", "ß": "ss", "æ": "ae",
        "Æ": "Ae", "ø": "o", "Ø": "O", "đ": "d", "Đ": "D", "ł": "l", "Ł": "L", "’": "", "'": ""
    };
    function digestSlugify(value, maxLength) {
        let s = String(value).replace(/(\w)\.(?=\w)/g, "$1-");
        s = s.replace(/[əƏıİşŞçÇğĞöÖüÜßæÆøØđĐłŁ’']/g, (ch) => MAP[ch]);
        s = s.normalize("NFKD").replace(/[^\x00-\x7F]/g, "");
        s = s.replace(/[^\w\s-]/g, "").toLowerCase().trim();
        s = s.replace(/[-\s]+/g, "-").replace(/^[-_]+|[-_]+$/g, "");
        if (maxLength && s.length > maxLength) {
            const cut = s.substring(0, maxLength);
            s = cut.includes("-") ? cut.substring(0, cut.lastIndexOf("-")) : cut;
        }
        return s;
    }
    function install() {
        window.URLify = function (s, numChars) {
            return digestSlugify(s, numChars);
        };
    }
    window.digestSlugify = digestSlugify;
    // Django's urlify.js may load after this file: install again once every script has run.
    install();
    document.addEventListener("DOMContentLoaded", install);
})();
