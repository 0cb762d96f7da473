/** The attribute that marks an ad slot (docs/events.md): a click inside one is a `click_ad`, and each element carrying it is one slot for `ads_in_view`. */
export const AD_ATTRIBUTE = "data-privads-ad";
