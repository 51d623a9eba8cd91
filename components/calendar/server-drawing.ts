import { createElement, type ComponentType } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';

/*
 * A calendar drawing's HTML as the server makes it, remembered by its props. FullCalendar's drawing is
 * a pure function of its props (the data, the labels, the locale and today's date are all among them)
 * and costs more than the rest of a month page together (its options, Intl formatters and a few
 * hundred elements); the same month with the same counts is drawn once. Only required on the server
 * (calendar-drawing.tsx). Bounded (a month's drawing is about 40 KB of HTML: 200 of them, a few
 * megabytes); the oldest drawing goes first.
 */
const drawings = new Map<string, string>();
const MAX_DRAWINGS = 200;
const names = new WeakMap<ComponentType<never>, number>();
let nextName = 0;

export function drawOnServer<P extends object>(component: ComponentType<P>, props: P, propsJson: string): string {
  let name = names.get(component as ComponentType<never>);
  if (name === undefined) {
    name = nextName++;
    names.set(component as ComponentType<never>, name);
  }
  const key = `${name}:${propsJson}`;
  const known = drawings.get(key);
  if (known !== undefined) return known;
  // Its own id prefix: the drawing's ids (FullCalendar's useId) never meet the page's.
  const html = renderToStaticMarkup(createElement(component, props), { identifierPrefix: `fc${name}-` });
  if (drawings.size >= MAX_DRAWINGS) drawings.delete(drawings.keys().next().value!);
  drawings.set(key, html);
  return html;
}
