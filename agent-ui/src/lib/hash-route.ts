import { useEffect, useState } from "preact/hooks";

/** The current location hash without '#', e.g. "/tickets/12". */
export function currentRoute(): string {
  return window.location.hash.replace(/^#/, "") || "/";
}

/** Re-renders on hash changes; the console is one page with hash routes (no server-side routes needed). */
export function useHashRoute(): string {
  const [route, setRoute] = useState(currentRoute);
  useEffect(() => {
    const onChange = () => setRoute(currentRoute());
    window.addEventListener("hashchange", onChange);
    return () => window.removeEventListener("hashchange", onChange);
  }, []);
  return route;
}

/** Navigates to a hash route. */
export function navigate(route: string): void {
  window.location.hash = route;
}
