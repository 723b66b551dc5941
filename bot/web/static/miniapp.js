// The Mini App's sign-in: Telegram puts its signed launch data (tgWebAppData) and theme
// (tgWebAppThemeParams) in the address's fragment, which a server never sees. Post the
// launch data to our server (it checks the signature with the bot token) and apply the theme.
(function () {
  var root = document.documentElement.style;
  try {  // the theme a Mini App was opened with, kept for the pages after the first
    (sessionStorage.getItem("planbot-theme") || "").split(";").forEach(function (pair) {
      var at = pair.indexOf(":");
      if (at > 0) root.setProperty(pair.slice(0, at), pair.slice(at + 1));
    });
  } catch (e) {}
  var hash = new URLSearchParams(window.location.hash.slice(1));
  var data = hash.get("tgWebAppData");
  var theme = hash.get("tgWebAppThemeParams");
  if (theme) {
    try {
      var colours = JSON.parse(theme);
      var saved = [];
      Object.keys(colours).forEach(function (key) {
        var name = "--tg-theme-" + key.replace(/_/g, "-");
        root.setProperty(name, colours[key]);
        saved.push(name + ":" + colours[key]);
      });
      try { sessionStorage.setItem("planbot-theme", saved.join(";")); } catch (e) {}
    } catch (e) { /* no theme: our colours */ }
  }
  var form = document.getElementById("mini-app-form");
  if (form && data) {
    form.elements.init_data.value = data;
    history.replaceState(null, "", window.location.pathname);  // the launch data leaves the bar
    form.submit();
  }
})();
