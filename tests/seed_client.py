"""The Python example of the API document (seed/chat_api_examples.md),
made runnable against a test server: the URI and the thread come from the
command line, and the second loop ends when the reply is complete instead
of running forever.  Uses Debian's python3-websockets.

usage: seed_client.py URI THREAD
"""
import asyncio
import json
import sys

import websockets


async def chat_client(uri, thread_id):
    async with websockets.connect(uri) as websocket:
        history_request = {"type": "history", "thread_id": thread_id}
        await websocket.send(json.dumps(history_request))

        async for message in websocket:
            data = json.loads(message)
            print(f"Received: {data}")
            if data.get("type") == "message":
                chat_message = {
                    "type": "message",
                    "thread_id": thread_id,
                    "agent_id": None,
                    "content": "Hello, I'd like to learn about blockchain technology."
                }
                await websocket.send(json.dumps(chat_message))
                break

        async for message in websocket:
            data = json.loads(message)
            print(f"Received: {data}")
            if data.get("status") == "complete":
                break


asyncio.run(asyncio.wait_for(chat_client(sys.argv[1], sys.argv[2]), 20))
