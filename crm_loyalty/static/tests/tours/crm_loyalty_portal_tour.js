import { registry } from "@web/core/registry";

/**
 * A portal member opens My Account > My membership and reads their tier, points, benefits and tier history,
 * in their language (crm_loyalty/tests/test_loyalty_portal_tour.py sets the member up).
 */
function membershipSteps(labels) {
    return [
        {
            content: "My Account: the My membership entry",
            trigger: `.o_portal_index_card a[href='/my/membership']:contains("${labels.myMembership}")`,
            run: "click",
            expectUnloadPage: true,
        },
        {
            trigger: `.o_portal_submenu li.active:contains("${labels.myMembership}")`,
        },
        {
            content: "The tier",
            trigger: `.card-title:contains("${labels.yourTier}") + .o_membership_tier:contains("Gold")`,
        },
        {
            content: "The points",
            trigger: `.card-title:contains("${labels.yourPoints}") + p .o_membership_points`,
        },
        {
            content: "The tier's benefits",
            trigger: `.card-title:contains("${labels.yourBenefits}") + .o_membership_benefits:contains("Ten percent off everything")`,
        },
        {
            content: "The tier history, with the reason in the member's language",
            trigger: `h5:contains("${labels.yourTierHistory}") + * td:contains("${labels.upgrade}")`,
        },
    ];
}

registry.category("web_tour.tours").add("crm_loyalty_portal_tour_en", {
    url: "/my",
    steps: () =>
        membershipSteps({
            myMembership: "My membership",
            yourTier: "Your tier",
            yourPoints: "Your points",
            yourBenefits: "Your benefits",
            yourTierHistory: "Your tier history",
            upgrade: "Upgrade",
        }),
});

registry.category("web_tour.tours").add("crm_loyalty_portal_tour_zh", {
    url: "/my",
    steps: () =>
        membershipSteps({
            myMembership: "我的会员",
            yourTier: "您的等级",
            yourPoints: "您的积分",
            yourBenefits: "您的权益",
            yourTierHistory: "您的等级历史",
            upgrade: "升级",
        }),
});
