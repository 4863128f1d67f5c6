// Loaded in <head> before anything is drawn: tells the CSS that JavaScript runs, so a phone never shows the
// open menu before site.js folds it behind its button. Without JavaScript the menu simply stays open.
document.documentElement.classList.add("js");
