import { createRoot } from 'react-dom/client';
import '../../components/app/base.css';
import '../../components/app/page.css';
import { Popup, preloadPopup } from '../../components/popup/Popup';

// The opening request leaves before React renders anything; the popup is drawn once, with its answer.
void preloadPopup()
  .catch((e: unknown) => (e instanceof Error ? e : new Error(String(e))))
  .then((first) => createRoot(document.getElementById('root')!).render(<Popup first={first} />));
