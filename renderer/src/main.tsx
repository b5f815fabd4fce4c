import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import '@fontsource-variable/inter';
import './styles/tokens.css';
import './styles/app.css';
import './styles/accounts.css';
import './styles/inbox.css';
import './styles/demo.css';
import './styles/rules.css';
import './styles/desktop.css';
import { App } from './app/app';
import { ClientProvider } from './app/client-context';
import { createClient } from './client';

const rootElement = document.getElementById('root');
if (!rootElement) throw new Error('index.html has no #root');
const client = createClient();

if (!client) {
  rootElement.setAttribute('data-app-state', 'error');
  rootElement.innerHTML = '';
  const message = document.createElement('div');
  message.className = 'splash';
  const title = document.createElement('h1');
  title.textContent = 'Open Switchboard from the address it printed';
  const body = document.createElement('p');
  body.textContent = 'That address contains this run’s access token. Without it the app cannot connect.';
  message.append(title, body);
  rootElement.append(message);
} else {
  createRoot(rootElement).render(
    <StrictMode>
      <ClientProvider client={client}>
        <App />
      </ClientProvider>
    </StrictMode>,
  );
}
