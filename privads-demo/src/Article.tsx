import type { MouseEvent } from "react";

const SECTIONS = [
  ["Reading without being read", "Most sites learn about their readers by sending every scroll and click to a server. This page does the opposite: it watches how the page is used, keeps that to itself, and answers one question locally: how likely is an ad click in the next half minute?"],
  ["What is observed", "Nine kinds of actions: scrolling down or up (one per gesture), clicks, clicks on an ad, hovering over links, buttons and images, leaving or returning to the tab, pauses, and closing the page. Besides them, two ad signals: how many ad slots are viewable (at least half in view for a second, the industry rule) and whether the pointer rests on one. No text, no element names, no pointer coordinates and no addresses are recorded: only the kind of action, when it happened, how far down the page you were, and those two counts."],
  ["Twenty-six numbers", "Every second, and at once when an ad comes into view or the pointer reaches one, the last two minutes become twenty-six features: how long since the last action, how bursty the rhythm is, how much of the time the tab had focus, how far down you read, how varied your actions are, and six about the ads: how many are in view, for how long, how recently, and how long the pointer has rested on one. The same code computes them for training and here in your browser."],
  ["A small model", "A logistic regression on the features and their pairwise products turns them into a probability, calibrated to the real base rate. The model is a few kilobytes; it runs in microseconds with no dependencies, or in onnxruntime-web from the same file."],
  ["Honest fallbacks", "While the model loads, or if it cannot load, a hand-set heuristic answers and the panel says so. Until five actions fall in the window, the model is not asked at all."],
  ["Your session, your file", "The button in the panel downloads what was recorded as one line of JSON. It never leaves your machine unless you send it somewhere yourself."],
  ["Try it", "Scroll an ad into view, rest the pointer on it, rest on a link, switch to another tab and come back, click an ad. Watch the probability, the ad state, the sparkline and the features that move it."],
] as const;

/** Keeps the demo on one page: links and ad buttons do nothing but be clicked. */
function stay(event: MouseEvent): void {
  const target = event.target as HTMLElement;
  if (target.closest("a, button")) event.preventDefault();
}

function Ad({ slot, title, text }: { slot: string; title: string; text: string }) {
  return (
    <aside className="ad" data-privads-ad={slot} data-testid={`ad-${slot}`}>
      <span className="ad-label">Advertisement</span>
      <strong>{title}</strong>
      <p>{text}</p>
      <button type="button">Learn more</button>
    </aside>
  );
}

export function Article() {
  return (
    <main className="article" onClick={stay}>
      <h1>On-device ad-click prediction</h1>
      <p className="lede">
        A demo of <a href="#how">PrivAds</a>: the probability in the panel is computed in this tab, from how you use this page, and nothing is sent anywhere.
      </p>
      <Ad slot="top" title="Quiet Keyboards Co." text="Type all night without waking anyone." />
      {SECTIONS.map(([title, text], i) => (
        <section key={title} id={i === 0 ? "how" : undefined}>
          <h2>{title}</h2>
          <p data-testid={`text-${i}`}>{text}</p>
          <p>
            {text} <a href={`#section-${i}`}>Read the notes</a> or <button type="button">save it</button> for later.
          </p>
          <figure>
            <img
              alt=""
              width="320"
              height="80"
              src={`data:image/svg+xml,${encodeURIComponent(`<svg xmlns="http://www.w3.org/2000/svg" width="320" height="80"><rect width="320" height="80" fill="#e8eef5"/><text x="12" y="46" font-family="sans-serif" font-size="16" fill="#567">Figure ${i + 1}</text></svg>`)}`}
            />
          </figure>
          {i === 2 && <Ad slot="inline" title="Trail Shoes, Lighter" text="Three hundred grams of grip. Try them on a muddy Sunday." />}
          {i === 5 && <Ad slot="bottom" title="Local Bakery Subscription" text="Fresh bread on your doorstep every Saturday morning." />}
        </section>
      ))}
      <footer>
        <p>End of article.</p>
      </footer>
    </main>
  );
}
