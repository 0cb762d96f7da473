/** The attribute that marks an ad slot; a click inside one is a `click_ad`. */
export const AD_ATTRIBUTE = "data-privads-ad";
