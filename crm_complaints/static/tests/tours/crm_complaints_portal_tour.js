import { registry } from "@web/core/registry";

/**
 * A portal customer uses every complaint page as in a browser: My Account > Complaints > New Complaint,
 * fills the form, attaches a file of the wrong type (refused, nothing else lost), attaches a photo and a
 * PDF, submits, sees the complaint with its files in the conversation, replies, and finds it in the list.
 * Registered once per language with the labels expected on screen
 * (crm_complaints/tests/test_portal_tour.py checks the records).
 */

const PNG =
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVQIW2P4v5ThPwAG7wKklwQ/bwAAAABJRU5ErkJggg==";

function setFiles(selector, files) {
    const input = document.querySelector(selector);
    const transfer = new DataTransfer();
    for (const file of files) {
        transfer.items.add(file);
    }
    input.files = transfer.files;
    input.dispatchEvent(new Event("change", { bubbles: true }));
}

function pngFile(name) {
    const bytes = Uint8Array.from(atob(PNG), (char) => char.charCodeAt(0));
    return new File([bytes], name, { type: "image/png" });
}

function portalComplaintSteps(labels) {
    return [
        {
            content: "My Account: the Complaints entry",
            trigger: `.o_portal_index_card a[href='/my/complaints']:contains("${labels.complaints}")`,
            run: "click",
            expectUnloadPage: true,
        },
        {
            content: "The list has a New Complaint button",
            trigger: `a[href='/my/complaints/new']:contains("${labels.newComplaint}")`,
            run: "click",
            expectUnloadPage: true,
        },
        {
            content: "The description field is rendered under its label",
            trigger: `label[for=description]:contains("${labels.whatHappened}") + textarea#description`,
        },
        {
            content: "Only categories of the customer's company (or shared) are offered",
            trigger: "select#category_id:not(:has(option:contains('Sister company only')))",
        },
        {
            trigger: `label[for=attachments]:contains("${labels.attachments}")`,
        },
        {
            trigger: "input#subject",
            run: "edit Lamp arrived broken on the portal",
        },
        {
            trigger: "select#sale_order_id",
            run: "selectByIndex 1",
        },
        {
            trigger: "select#category_id",
            run: "selectByLabel Breakage",
        },
        {
            trigger: "textarea#description",
            run: "edit The glass shade was in pieces.",
        },
        {
            content: "Attach a file that is neither a photo nor a PDF",
            trigger: "input#attachments[type=file][multiple]",
            run() {
                setFiles("input#attachments", [new File(["just text"], "notes.txt", { type: "text/plain" })]);
            },
        },
        {
            trigger: ".o_crm_complaint_form button[type=submit]",
            run: "click",
            expectUnloadPage: true,
        },
        {
            content: "Refused with a clear message in the customer's language",
            trigger: `input#attachments.is-invalid ~ .invalid-feedback:contains("${labels.wrongType}"):contains("notes.txt")`,
        },
        {
            content: "Nothing else is lost",
            trigger: "textarea#description",
            run() {
                const description = document.querySelector("textarea#description").value;
                if (description !== "The glass shade was in pieces.") {
                    throw new Error(`The description was lost: "${description}"`);
                }
                const subject = document.querySelector("input#subject").value;
                if (subject !== "Lamp arrived broken on the portal") {
                    throw new Error(`The subject was lost: "${subject}"`);
                }
                if (!document.querySelector("select#category_id option:checked").textContent.includes("Breakage")) {
                    throw new Error("The category was lost");
                }
                if (!document.querySelector("select#sale_order_id").value) {
                    throw new Error("The order was lost");
                }
            },
        },
        {
            content: "Attach a photo and a PDF",
            trigger: "input#attachments",
            run() {
                setFiles("input#attachments", [
                    pngFile("broken_lamp.png"),
                    new File(["%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"], "receipt.pdf", {
                        type: "application/pdf",
                    }),
                ]);
            },
        },
        {
            trigger: ".o_crm_complaint_form button[type=submit]",
            run: "click",
            expectUnloadPage: true,
        },
        {
            content: "The complaint page",
            trigger: ".card-header h4:contains('Lamp arrived broken on the portal')",
        },
        {
            trigger: `h5:contains("${labels.yourComplaint}") + div:contains("The glass shade was in pieces.")`,
        },
        {
            content: "The files are in the conversation",
            trigger: "#chatterRoot:shadow .o-mail-AttachmentContainer[title='broken_lamp.png']",
        },
        {
            trigger: "#chatterRoot:shadow .o-mail-AttachmentContainer[title='receipt.pdf']",
        },
        {
            content: "Reply",
            trigger: "#chatterRoot:shadow .o-mail-Composer-input",
            run: "edit The lamp was a gift, please hurry.",
        },
        {
            trigger: "#chatterRoot:shadow .o-mail-Composer-send:enabled",
            run: "click",
        },
        {
            trigger: "#chatterRoot:shadow .o-mail-Message:contains('The lamp was a gift, please hurry.')",
        },
        {
            content: "Back to the list",
            trigger: `.o_portal_submenu a[href='/my/complaints']:contains("${labels.complaints}")`,
            run: "click",
            expectUnloadPage: true,
        },
        {
            trigger: "table td:contains('Lamp arrived broken on the portal')",
        },
    ];
}

registry.category("web_tour.tours").add("crm_complaints_portal_tour_en", {
    url: "/my",
    steps: () =>
        portalComplaintSteps({
            complaints: "Complaints",
            newComplaint: "New Complaint",
            whatHappened: "What happened?",
            attachments: "Photos or documents",
            wrongType: "Not a photo or a PDF",
            yourComplaint: "Your complaint",
        }),
});

registry.category("web_tour.tours").add("crm_complaints_portal_tour_zh", {
    url: "/my",
    steps: () =>
        portalComplaintSteps({
            complaints: "投诉",
            newComplaint: "新投诉",
            whatHappened: "发生了什么？",
            attachments: "照片或文件",
            wrongType: "不是照片或 PDF",
            yourComplaint: "您的投诉",
        }),
});
