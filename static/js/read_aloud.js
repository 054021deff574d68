// "Voorlezen": the phone reads the page aloud with its own voice, in the page's language, for
// parents who read little. The button stays hidden unless the browser has a voice for that
// language: a Turkish page read by a Dutch voice helps nobody.
(function () {
  const speech = window.speechSynthesis;
  if (!speech || typeof window.SpeechSynthesisUtterance !== "function") {
    return;
  }
  const language = (document.documentElement.lang || "nl").toLowerCase();

  function voiceFor(lang) {
    const base = lang.split("-")[0];
    return speech.getVoices().find(function (voice) {
      return (voice.lang || "").toLowerCase().replace("_", "-").split("-")[0] === base;
    });
  }

  // The words a reader sees: not the controls, not what is hidden or folded away (the Dutch
  // original of a translated text is read only once it is opened).
  function readableText(root) {
    const parts = [];
    const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT, {
      acceptNode: function (node) {
        const element = node.parentElement;
        if (!element || element.closest("button, select, script, style, [hidden], [aria-hidden=true], .visually-hidden")) {
          return NodeFilter.FILTER_REJECT;
        }
        const folded = element.closest("details:not([open])");
        if (folded && !element.closest("summary")) {
          return NodeFilter.FILTER_REJECT;
        }
        return node.nodeValue.trim() ? NodeFilter.FILTER_ACCEPT : NodeFilter.FILTER_REJECT;
      },
    });
    while (walker.nextNode()) {
      parts.push(walker.currentNode.nodeValue.trim());
    }
    return parts.join(" ");
  }

  function setUp() {
    const voice = voiceFor(language);
    document.querySelectorAll("[data-read-aloud]").forEach(function (button) {
      if (!voice) {
        button.hidden = true;
        return;
      }
      button.hidden = false;
      if (button.dataset.ready) {
        return;
      }
      button.dataset.ready = "1";
      button.addEventListener("click", function () {
        if (button.dataset.speaking) {
          speech.cancel();
          return;
        }
        const root = document.querySelector(button.dataset.readAloud) || document.body;
        const utterance = new SpeechSynthesisUtterance(readableText(root));
        utterance.lang = voice.lang;
        utterance.voice = voice;
        utterance.onend = utterance.onerror = function () {
          delete button.dataset.speaking;
          button.textContent = button.dataset.readLabel;
        };
        speech.cancel();
        button.dataset.speaking = "1";
        button.textContent = button.dataset.stopLabel;
        speech.speak(utterance);
      });
    });
  }

  setUp();
  // Most browsers load their voices after the page: look again when they arrive.
  speech.addEventListener("voiceschanged", setUp);
})();
