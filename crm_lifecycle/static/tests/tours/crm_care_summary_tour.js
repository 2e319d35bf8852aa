import { registry } from "@web/core/registry";

/**
 * The partner form's Customer Care summary keeps a long campaign name inside its box: cut with an ellipsis
 * (the full name on hover), the form not scrolling sideways. tests/test_care_summary_tour.py opens the form.
 */
function assertFits() {
    const box = document.querySelector(".o_crm_care_summary");
    const field = box.querySelector("[name=care_next_touch_campaign_id]");
    const text = field.querySelector("[title]");
    const boxRight = box.getBoundingClientRect().right;
    if (field.getBoundingClientRect().right > boxRight + 1) {
        throw new Error("crm_care_summary_tour: the campaign name spills past the summary box");
    }
    if (!(text.scrollWidth > text.clientWidth) || getComputedStyle(text).textOverflow !== "ellipsis") {
        throw new Error("crm_care_summary_tour: the long campaign name is not cut with an ellipsis");
    }
    for (const element of document.querySelectorAll(".o_content, .o_form_sheet_bg, .o_form_renderer")) {
        if (element.scrollWidth > element.clientWidth + 1) {
            throw new Error(`crm_care_summary_tour: ${element.className} scrolls sideways`);
        }
    }
}

registry.category("web_tour.tours").add("crm_care_summary_tour", {
    steps: () => [
        {
            content: "The summary shows the next care touch's campaign",
            trigger: ".o_crm_care_summary [name=care_next_touch_campaign_id] [title*='most valued']",
            run: assertFits,
        },
    ],
});
